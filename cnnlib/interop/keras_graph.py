def from_keras(model):
    raise NotImplementedError
